import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startDemoServer } from './demo-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/** One demo server that the browser tests share. */
export default async function setup(project: TestProject) {
  const server = await startDemoServer();
  project.provide('baseUrl', server.baseUrl);
  return () => server.stop();
}
