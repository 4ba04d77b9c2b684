import net from 'node:net';

interface Link {
  client: net.Socket;
  broker: net.Socket | null;
}

/**
 * A network partition between this process's Kafka clients and the broker, the shared broker
 * itself untouched. kafkajs opens its sockets with `net.connect`; those to a broker port are
 * routed through a local switch that forwards bytes both ways. While the partition is on the
 * switch forwards nothing (open connections go silent, new ones are accepted and never
 * answered), as a lost broker looks to kafkajs. Healing closes the silent connections, so
 * kafkajs reconnects through the switch to the broker. Other sockets (HTTP, Postgres) pass.
 */
export class BrokerPartition {
  private readonly links = new Set<Link>();
  private readonly connect = net.connect;
  private switchServer!: net.Server;
  private switchPort = 0;
  private lost = false;

  private constructor(private readonly brokerPorts: Set<number>) {}

  /** Install before the app starts, so the sockets it opens at start go through the switch. `brokers`: host:port,… */
  static async install(brokers: string): Promise<BrokerPartition> {
    const partition = new BrokerPartition(new Set(brokers.split(',').map((b) => Number(b.trim().split(':').at(-1)))));
    await partition.listen();
    partition.intercept();
    return partition;
  }

  /** Silences every Kafka connection; new ones hang until `heal`. */
  lose(): void {
    this.lost = true;
    for (const link of this.links) this.silence(link);
  }

  /** Closes the silenced connections; kafkajs' reconnects reach the broker again. */
  heal(): void {
    this.lost = false;
    for (const link of this.links) {
      if (link.broker) continue;
      link.client.destroy();
      this.links.delete(link);
    }
  }

  async uninstall(): Promise<void> {
    (net as { connect: typeof net.connect }).connect = this.connect;
    for (const link of this.links) {
      link.client.destroy();
      link.broker?.destroy();
    }
    this.links.clear();
    await new Promise<void>((resolve) => this.switchServer.close(() => resolve()));
  }

  private async listen(): Promise<void> {
    this.switchServer = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.switchServer.listen(0, '127.0.0.1', resolve));
    this.switchPort = (this.switchServer.address() as net.AddressInfo).port;
  }

  private accept(client: net.Socket): void {
    const target = this.pendingTargets.shift();
    const link: Link = { client, broker: null };
    this.links.add(link);
    client.on('error', () => undefined);
    client.on('close', () => {
      link.broker?.destroy();
      this.links.delete(link);
    });
    if (this.lost || !target) return;
    const broker = this.connect(target);
    broker.on('error', () => client.destroy());
    broker.on('close', () => client.destroy());
    link.broker = broker;
    client.pipe(broker);
    broker.pipe(client);
  }

  private silence(link: Link): void {
    if (!link.broker) return;
    link.client.unpipe(link.broker);
    link.broker.unpipe(link.client);
    link.broker.removeAllListeners('close').on('close', () => undefined);
    link.broker.destroy();
    link.broker = null;
  }

  private readonly pendingTargets: net.NetConnectOpts[] = [];

  private intercept(): void {
    const original = this.connect;
    (net as { connect: unknown }).connect = (...args: unknown[]): net.Socket => {
      const options = args[0] as { host?: string; port?: unknown } | undefined;
      const toBroker = typeof options === 'object' && options !== null && this.brokerPorts.has(Number(options.port));
      if (!toBroker) return (original as (...a: unknown[]) => net.Socket)(...args);
      this.pendingTargets.push({ host: options.host, port: Number(options.port) });
      return original({ host: '127.0.0.1', port: this.switchPort }, args[1] as () => void);
    };
  }
}
