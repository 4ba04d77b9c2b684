import { Controller, Get, Header } from '@nestjs/common';
import { ServiceMetrics } from './metrics';
import { Public } from './route-access';

/** `GET /metrics`: Prometheus text. Public: scrapers have no key (it holds counts, no personal data). */
@Controller()
export class MetricsController {
  constructor(private readonly metrics: ServiceMetrics) {}

  @Get('metrics')
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  render(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
