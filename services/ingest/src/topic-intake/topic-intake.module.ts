import { Module } from '@nestjs/common';
import { SegmentModule } from '../segment/segment.module';
import { TopicIntakeConsumer } from './topic-intake.consumer';

/** Events from Kafka producers: Segment messages and CloudEvents read from the topics of `INGEST_KAFKA_TOPICS`. */
@Module({
  imports: [SegmentModule],
  providers: [TopicIntakeConsumer],
})
export class TopicIntakeModule {}
