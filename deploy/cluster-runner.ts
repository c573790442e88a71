/**
 * Three API processes on one PostgreSQL behind HAProxy (deploy/haproxy.cfg): what `npm run cluster`
 * starts, and what `npm run bench:cluster` starts, kills nodes of and stops.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const NODE_PORTS = [3001, 3002, 3003];
export const BALANCER_PORT = 3000;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export interface ClusterOptions {
  databaseUrl: string;
  /** Extra environment for every API node. */
  nodeEnv?: NodeJS.ProcessEnv;
  /** Prints the nodes' and HAProxy's output prefixed with their name; HAProxy's request log only when `requestLog`. */
  print: (line: string) => void;
  requestLog?: boolean;
  /** Called when a process exits that nobody asked to stop. */
  onUnexpectedExit?: (name: string, how: string) => void;
}

export interface ClusterNode {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen(port, () => probe.close(() => done(true)));
  });
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with code ${child.exitCode}`);
    const ready = await fetch(`${url}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await sleep(100);
  }
  throw new Error(`${url} was not ready within 60 s`);
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

export class Cluster {
  readonly url = `http://127.0.0.1:${BALANCER_PORT}`;
  private readonly stopped = new Set<string>();
  private stopping = false;

  private constructor(
    readonly nodes: ClusterNode[],
    private readonly haproxy: ChildProcess,
  ) {}

  /** Fails with a message that says what to do when HAProxy is missing or a port is taken. */
  static async preflight(): Promise<void> {
    if (spawnSync('haproxy', ['-v']).status !== 0)
      throw new Error('HAProxy is not installed. On Debian or Ubuntu: apt-get update && apt-get install -y haproxy');
    for (const port of [BALANCER_PORT, ...NODE_PORTS])
      if (!(await portFree(port)))
        throw new Error(
          `Port ${port} is in use: the cluster needs ports ${BALANCER_PORT} and ${NODE_PORTS.join(', ')}`,
        );
  }

  static async start(options: ClusterOptions): Promise<Cluster> {
    await Cluster.preflight();
    const nodes = NODE_PORTS.map((port, index) => {
      const name = `api${index + 1}`;
      const child = Cluster.run(options, name, process.execPath, [join(projectRoot, 'dist', 'src', 'main.js')], {
        ...process.env,
        ...options.nodeEnv,
        DATABASE_URL: options.databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        TRUST_PROXY: 'loopback',
      });
      return { name, port, url: `http://127.0.0.1:${port}`, child };
    });
    await Promise.all(nodes.map((node) => waitReady(node.url, node.child)));
    const haproxy = Cluster.run(options, 'haproxy', 'haproxy', [
      '-db',
      '-f',
      join(projectRoot, 'deploy', 'haproxy.cfg'),
    ]);
    const cluster = new Cluster(nodes, haproxy);
    for (const [name, child] of [
      ['haproxy', haproxy] as const,
      ...nodes.map((node) => [node.name, node.child] as const),
    ])
      child.once('exit', (code, signal) => {
        if (!cluster.stopping && !cluster.stopped.has(name)) options.onUnexpectedExit?.(name, signal ?? `code ${code}`);
      });
    await waitReady(cluster.url, haproxy);
    return cluster;
  }

  /** Starts `command`, printing each line it writes prefixed with `[name]`. */
  private static run(
    options: ClusterOptions,
    name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv = process.env,
  ): ChildProcess {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const prefix = (chunk: Buffer) =>
      chunk
        .toString()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .forEach((line) => options.print(`[${name}] ${line}`));
    // HAProxy writes its request log to stdout, its alerts to stderr.
    if (name !== 'haproxy' || options.requestLog) child.stdout?.on('data', prefix);
    else child.stdout?.resume();
    child.stderr?.on('data', prefix);
    return child;
  }

  node(name: string): ClusterNode {
    const node = this.nodes.find((candidate) => candidate.name === name);
    if (!node) throw new Error(`no node ${name}`);
    return node;
  }

  /** Sends `signal` to one node (SIGKILL: it dies mid-request; SIGTERM: it drains) and waits for it to exit. */
  async kill(name: string, signal: NodeJS.Signals): Promise<void> {
    const { child } = this.node(name);
    this.stopped.add(name);
    if (exited(child)) return;
    const gone = new Promise((done) => child.once('exit', done));
    child.kill(signal);
    await gone;
  }

  /** HAProxy first (no new traffic), then the nodes, each draining; SIGKILL whatever is left after 10 s. */
  async stop(): Promise<void> {
    this.stopping = true;
    const children = [this.haproxy, ...this.nodes.map((node) => node.child)].filter((child) => !exited(child));
    const exits = children.map((child) => new Promise((done) => child.once('exit', done)));
    for (const child of children) child.kill('SIGTERM');
    await Promise.race([Promise.all(exits), sleep(10_000)]);
    for (const child of children) if (!exited(child)) child.kill('SIGKILL');
  }
}
