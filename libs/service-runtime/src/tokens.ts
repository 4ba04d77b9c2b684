/** Injection tokens of what the runtime provides to every service. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const KAFKA = Symbol('KAFKA');
export const PRODUCER = Symbol('PRODUCER');
export const TOPICS = Symbol('TOPICS');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
