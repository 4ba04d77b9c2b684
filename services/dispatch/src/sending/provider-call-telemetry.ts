import { Injectable } from '@nestjs/common';
import type { SendResult } from '@nudge/channels';
import { RecordTraces, ServiceMetrics } from '@nudge/service-runtime';
import type { Histogram } from 'prom-client';
import type { ClaimedMessage } from '../messages/message.store';

/**
 * What is seen of each provider call: `nudge_provider_call_seconds{channel, provider}`, and —
 * when tracing is on — a `dispatch.provider_call` client span, the child of the message's
 * intake span (the trace of its event), or a trace of its own when this process did not take
 * the request in (another replica, a restart, a retry long after).
 */
@Injectable()
export class ProviderCallTelemetry {
  private readonly seconds: Histogram<'channel' | 'provider'>;

  constructor(
    metrics: ServiceMetrics,
    private readonly traces: RecordTraces,
  ) {
    this.seconds = metrics.histogram('nudge_provider_call_seconds', 'Provider call durations, by channel and provider', [
      'channel',
      'provider',
    ]);
  }

  /** Runs one provider call of `message`, timed and traced. */
  async observe(message: ClaimedMessage, call: () => Promise<SendResult>): Promise<SendResult> {
    const start = performance.now();
    try {
      return await this.traces.call(
        'dispatch.provider_call',
        message.sendId,
        {
          'nudge.channel': message.channel,
          'nudge.provider': message.provider,
          'nudge.message_id': message.id,
          'nudge.attempt': message.attempts,
        },
        call,
        (result) => ({ 'nudge.outcome': result.outcome }),
      );
    } finally {
      this.seconds.observe({ channel: message.channel, provider: message.provider }, (performance.now() - start) / 1_000);
    }
  }
}
