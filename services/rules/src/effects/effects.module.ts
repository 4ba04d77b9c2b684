import { Module } from '@nestjs/common';
import { EffectsWriter } from './effects-writer';

/** The one writer of the engine's effects (and of the decision log). */
@Module({ providers: [EffectsWriter], exports: [EffectsWriter] })
export class EffectsModule {}
