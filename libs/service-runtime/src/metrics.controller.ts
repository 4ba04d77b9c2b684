import { Controller, Get, Header } from '@nestjs/common';
import { ServiceMetrics } from './metrics';

/** `GET /metrics`: Prometheus text. */
@Controller()
export class MetricsController {
  constructor(private readonly metrics: ServiceMetrics) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  render(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
