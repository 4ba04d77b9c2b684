import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';

/** One Kubernetes object as the manifests write it. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** The kustomization fields this renderer implements; any other one fails the render. */
const FIELDS = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'configMapGenerator', 'generatorOptions', 'replicas', 'patches']);
/** Kinds the namespace transformer leaves alone (the only cluster-scoped kind the manifests use). */
const CLUSTER_SCOPED = new Set(['Namespace']);

/**
 * `kustomize build <dir>` for the subset deploy/k8s uses, and nothing more: `resources` (files
 * inside `dir`, or directories holding a kustomization), `configMapGenerator` with `files`
 * (no name hash: `generatorOptions.disableNameSuffixHash` must be true, so no reference needs
 * rewriting), `replicas`, `patches` as inline JSON patches (RFC 6902) with a target of kind and
 * name, and `namespace`. Any other field, option or patch form throws, as does a patch or a
 * replica count that matches nothing and two objects with one identity.
 */
export function renderKustomization(dir: string): Manifest[] {
  const kustomization = asObject(parse(readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')), `${dir}/kustomization.yaml`);
  const unsupported = Object.keys(kustomization).filter((field) => !FIELDS.has(field));
  if (unsupported.length > 0) throw new Error(`${dir}: kustomization fields not supported: ${unsupported.join(', ')}`);
  if (kustomization.apiVersion !== 'kustomize.config.k8s.io/v1beta1' || kustomization.kind !== 'Kustomization') {
    throw new Error(`${dir}: not a kustomize.config.k8s.io/v1beta1 Kustomization`);
  }

  const manifests: Manifest[] = [];
  for (const entry of asArray(kustomization.resources ?? [], 'resources')) {
    const target = path.resolve(dir, String(entry));
    if (statSync(target).isDirectory()) manifests.push(...renderKustomization(target));
    else manifests.push(...readManifests(inside(dir, target)));
  }
  manifests.push(...generateConfigMaps(dir, kustomization));
  for (const replica of asArray(kustomization.replicas ?? [], 'replicas')) setReplicas(manifests, asObject(replica, 'replicas[]'));
  for (const patch of asArray(kustomization.patches ?? [], 'patches')) applyPatch(manifests, asObject(patch, 'patches[]'));
  if (kustomization.namespace !== undefined) {
    for (const manifest of manifests) if (!CLUSTER_SCOPED.has(manifest.kind)) manifest.metadata.namespace = String(kustomization.namespace);
  }
  const ids = manifests.map(identityOf);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length > 0) throw new Error(`${dir}: objects defined twice: ${twice.join(', ')}`);
  return manifests;
}

/** `group/kind/namespace/name`: what makes an object one in a cluster. */
export function identityOf(manifest: Manifest): string {
  const group = manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/')[0] : '';
  return `${group}/${manifest.kind}/${manifest.metadata.namespace ?? ''}/${manifest.metadata.name}`;
}

/** Every non-empty YAML document of `file`, each an object with apiVersion, kind and a name. */
export function readManifests(file: string): Manifest[] {
  const documents = parseAllDocuments(readFileSync(file, 'utf8'));
  return documents
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map((e) => e.message).join('; ')}`);
      return document.toJS() as unknown;
    })
    .filter((value) => value !== null)
    .map((value) => {
      const manifest = asObject(value, file) as Partial<Manifest>;
      if (typeof manifest.apiVersion !== 'string' || typeof manifest.kind !== 'string' || typeof manifest.metadata?.name !== 'string') {
        throw new Error(`${file}: a document without apiVersion, kind or metadata.name`);
      }
      return manifest as Manifest;
    });
}

function generateConfigMaps(dir: string, kustomization: Record<string, unknown>): Manifest[] {
  const generators = asArray(kustomization.configMapGenerator ?? [], 'configMapGenerator');
  const options = kustomization.generatorOptions;
  if (generators.length > 0 || options !== undefined) {
    if (!isDeepStrictEqual(options, { disableNameSuffixHash: true })) {
      throw new Error(`${dir}: generatorOptions must be exactly { disableNameSuffixHash: true } (name hashes are not implemented)`);
    }
  }
  return generators.map((value) => {
    const generator = asObject(value, 'configMapGenerator[]');
    const extra = Object.keys(generator).filter((key) => key !== 'name' && key !== 'files');
    if (extra.length > 0) throw new Error(`${dir}: configMapGenerator fields not supported: ${extra.join(', ')}`);
    const data: Record<string, string> = {};
    for (const entry of asArray(generator.files, 'configMapGenerator[].files')) {
      if (String(entry).includes('=')) throw new Error(`${dir}: configMapGenerator key=path entries are not supported`);
      const file = inside(dir, path.resolve(dir, String(entry)));
      const key = path.basename(file);
      if (key in data) throw new Error(`${dir}: configMap ${String(generator.name)} has two files named ${key}`);
      data[key] = readFileSync(file, 'utf8');
    }
    return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: String(generator.name) }, data };
  });
}

function setReplicas(manifests: Manifest[], replica: Record<string, unknown>): void {
  const extra = Object.keys(replica).filter((key) => key !== 'name' && key !== 'count');
  if (extra.length > 0 || typeof replica.count !== 'number') throw new Error(`replicas: only name and a numeric count are supported`);
  const targets = manifests.filter((m) => m.kind === 'Deployment' && m.metadata.name === replica.name);
  if (targets.length === 0) throw new Error(`replicas: no Deployment named ${String(replica.name)}`);
  for (const target of targets) asObject(target.spec, `${target.metadata.name}.spec`).replicas = replica.count;
}

function applyPatch(manifests: Manifest[], patch: Record<string, unknown>): void {
  const extra = Object.keys(patch).filter((key) => key !== 'target' && key !== 'patch');
  if (extra.length > 0) throw new Error(`patches: fields not supported: ${extra.join(', ')}`);
  const target = asObject(patch.target, 'patches[].target');
  const selectors = Object.keys(target).filter((key) => key !== 'kind' && key !== 'name');
  if (selectors.length > 0 || typeof target.kind !== 'string')
    throw new Error(`patches: a target is a kind and maybe a name, got ${JSON.stringify(target)}`);
  const operations = asArray(parse(String(patch.patch)), 'patches[].patch (only JSON patches, a list of operations)');
  const matched = manifests.filter((m) => m.kind === target.kind && (target.name === undefined || m.metadata.name === target.name));
  if (matched.length === 0) throw new Error(`patches: nothing matches ${JSON.stringify(target)}`);
  for (const manifest of matched)
    for (const operation of operations) applyOperation(manifest, asObject(operation, 'a JSON patch operation'));
}

/** One RFC 6902 operation: add, replace, remove or test. */
function applyOperation(document: Manifest, operation: Record<string, unknown>): void {
  const where = `${document.kind}/${document.metadata.name} ${String(operation.op)} ${String(operation.path)}`;
  const tokens = String(operation.path)
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = tokens.pop();
  if (last === undefined) throw new Error(`${where}: a patch of the whole document is not supported`);
  let parent: unknown = document;
  for (const token of tokens) {
    parent = (parent as Record<string, unknown> | undefined)?.[token];
    if (typeof parent !== 'object' || parent === null) throw new Error(`${where}: no ${token} on the way`);
  }
  const container = parent as Record<string, unknown>;
  const exists = Array.isArray(container) ? /^\d+$/.test(last) && Number(last) < container.length : last in container;
  switch (operation.op) {
    case 'test':
      if (!exists || !isDeepStrictEqual(container[last], operation.value)) {
        throw new Error(`${where}: found ${JSON.stringify(container[last])}, expected ${JSON.stringify(operation.value)}`);
      }
      return;
    case 'replace':
      if (!exists) throw new Error(`${where}: nothing to replace`);
      container[last] = operation.value;
      return;
    case 'remove':
      if (!exists) throw new Error(`${where}: nothing to remove`);
      if (Array.isArray(container)) container.splice(Number(last), 1);
      else delete container[last];
      return;
    case 'add':
      if (Array.isArray(container)) container.splice(last === '-' ? container.length : Number(last), 0, operation.value);
      else container[last] = operation.value;
      return;
    default:
      throw new Error(`${where}: operation not supported`);
  }
}

/** `file` when it lies under `dir` (kustomize's load restrictor), else an error. */
function inside(dir: string, file: string): string {
  const relative = path.relative(dir, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) throw new Error(`${file} is outside ${dir}`);
  return file;
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what}: expected a mapping`);
  return value as Record<string, unknown>;
}

function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what}: expected a list`);
  return value;
}
