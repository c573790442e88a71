/** Baseline for GET /files/:id: express.static serving the same bytes from a file on disk. */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { serveCoordinator } from './child.js';

const app = express();
// The same answer the API gives: a strong ETag, cacheable forever.
app.use('/files', express.static(process.env.STATIC_DIR!, { etag: true, immutable: true, maxAge: '365d' }));
const server = app.listen(0, '127.0.0.1', () => serveCoordinator((server.address() as AddressInfo).port));
