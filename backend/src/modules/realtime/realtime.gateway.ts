import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WebSocketServer } from 'ws';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { UsageRecorder } from '../usage/usage-recorder';
import { RealtimeService } from './realtime.service';

export const REALTIME_PATH = '/api/realtime';

/**
 * `GET /api/realtime?project=<pid>` upgraded to a WebSocket on the API's own HTTP server. Any
 * origin may connect (unless the project sets `allowed_origins`, as for its other app routes):
 * credentials travel in the URL or the first message, never in cookies, so a page on another
 * origin gains nothing it could not send itself.
 */
@Injectable()
export class RealtimeGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly wss: WebSocketServer;
  private server: Server | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly http: HttpAdapterHost,
    private readonly realtime: RealtimeService,
    private readonly usage: UsageRecorder,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      // Up to this, an oversized message is answered with an error; past it ws closes with 1009.
      maxPayload: Math.max(config.realtime.maxMessageBytes * 16, 1 << 20),
    });
  }

  onApplicationBootstrap(): void {
    const server = this.http.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    this.server = server;
    server.on('upgrade', this.onUpgrade);
  }

  beforeApplicationShutdown(): void {
    this.server?.off('upgrade', this.onUpgrade);
    this.wss.close();
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return reject(socket, 400, 'Bad Request');
    }
    if (url.pathname !== REALTIME_PATH && url.pathname !== `${REALTIME_PATH}/`)
      return reject(socket, 404, 'Not Found');
    if (this.realtime.socketCount >= this.config.realtime.maxSockets)
      return reject(socket, 503, 'Service Unavailable');
    const q = url.searchParams;
    const ua = req.headers['user-agent'];
    const origin = req.headers.origin;
    const projectId = (q.get('project') ?? '').toLowerCase();
    const started = performance.now();
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.usage.record(projectId, 'realtime', 101, performance.now() - started);
      this.realtime.open(ws, {
        projectId,
        token: q.get('token') || null,
        apiKey: q.get('api_key') || null,
        ip: req.socket.remoteAddress ?? null,
        userAgent: typeof ua === 'string' ? ua.slice(0, 512) : null,
        origin: typeof origin === 'string' && !sameOrigin(origin, req.headers.host) ? origin : null,
      });
    });
  };
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
