import { Module } from '@nestjs/common';
import { FallbackPoller } from './fallback-poller.service';

@Module({ providers: [FallbackPoller] })
export class FallbackModule {}
