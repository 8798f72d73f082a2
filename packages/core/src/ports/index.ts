// Ports (interfaces) that the services depend on and the apps implement.
export * from './library.ports.ts';
export * from './ml.ports.ts';
