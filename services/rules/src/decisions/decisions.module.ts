import { Module } from '@nestjs/common';
import { DecisionLog } from './decision-log';
import { DecisionsController } from './decisions.controller';

@Module({ controllers: [DecisionsController], providers: [DecisionLog], exports: [DecisionLog] })
export class DecisionsModule {}
