import { Global, Module } from '@nestjs/common';
import { DecisionLog } from './decision-log';
import { DecisionsController } from './decisions.controller';

@Global()
@Module({ controllers: [DecisionsController], providers: [DecisionLog], exports: [DecisionLog] })
export class DecisionsModule {}
