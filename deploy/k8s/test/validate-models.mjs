// Validates Kubernetes objects against the schemas of kubernetes-models (the API's own
// OpenAPI) and of its CRD packages for KEDA, Strimzi and CloudNativePG. Reads a JSON list of
// objects on stdin and prints a JSON list of `{ id, error }`, one per object that fails (an
// apiVersion or kind without a model fails too). A separate ES module: the model packages
// are ESM only, which jest's CommonJS run cannot load (deploy/k8s/test/manifests.spec.ts).
import { text } from 'node:stream/consumers';

const MODULES = {
  v1: 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'keda.sh/v1alpha1': '@kubernetes-models/keda/keda.sh/v1alpha1',
  'kafka.strimzi.io/v1': '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1',
  'postgresql.cnpg.io/v1': '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1',
};

const objects = JSON.parse(await text(process.stdin));
const failures = [];
for (const object of objects) {
  const id = `${object.apiVersion} ${object.kind} ${object.metadata?.name}`;
  const module = MODULES[object.apiVersion];
  const Model = module && (await import(module))[object.kind];
  if (typeof Model !== 'function') {
    failures.push({ id, error: 'no model for this apiVersion and kind' });
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    failures.push({ id, error: error.message });
  }
}
process.stdout.write(JSON.stringify(failures));
