import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createApp } from '../app.ts'
import type { ApiConfig } from '../config.ts'
import type { AppDependencies } from '../context.ts'
import type { Database } from '../db/database.ts'

/**
 * The Node entry: the API on @hono/node-server. Node keeps one process for all
 * requests, so one database pool (or the one embedded PGlite) serves them all.
 */
export interface ListeningServer {
  /** Where it listens, e.g. http://127.0.0.1:8787 (no base path). */
  url: string
  /** Stops accepting requests and waits for open ones; the database stays open (its owner closes it). */
  close(): Promise<void>
}

export interface ListenOptions {
  /** 0 picks a free port. */
  port: number
  hostname?: string
}

/**
 * Serves any fetch handler (the API, or the local stack's app that mounts it
 * beside other services); resolves once listening, rejects if it cannot
 * (EADDRINUSE names the taken port).
 */
export function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  { port, hostname = '127.0.0.1' }: ListenOptions,
): Promise<ListeningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, (info: AddressInfo) => {
      server.off('error', reject)
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address
      resolve({
        url: `http://${host}:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()))
            // Idle keep-alive sockets would hold close() open until they time out.
            if ('closeIdleConnections' in server) server.closeIdleConnections()
          }),
      })
    })
    server.once('error', reject)
  })
}

export interface StartApiServerOptions extends Pick<AppDependencies, 'clock' | 'log'>, ListenOptions {
  db: Database
  config: ApiConfig
}

/** The API alone on a port, under config.API_BASE_PATH. */
export function startApiServer({ port, hostname, ...dependencies }: StartApiServerOptions) {
  return listen(createApp(dependencies).fetch, { port, hostname })
}
