import type { FastifyInstance } from 'fastify';

/**
 * While the server shuts down, answers still in flight tell the client to close the connection.
 * Otherwise a kept-alive connection would hold the shutdown open until its idle timeout.
 */
export function registerConnectionDraining(app: FastifyInstance) {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('Connection', 'close');
    return payload;
  });
}
