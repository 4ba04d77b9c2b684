import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { SettingsCatalog } from './settings-catalog.service';

/** Global settings (SPEC §5): `GET`/`PUT /v1/settings`, validated like campaigns. */
@Controller('v1/settings')
export class SettingsController {
  constructor(private readonly store: SettingsCatalog) {}

  @Get()
  get() {
    return this.store.describe();
  }

  @Put()
  async put(@Body() document: unknown) {
    const result = await this.store.save(document, 'api');
    return { change: result.change, ...result.settings };
  }

  @Post('validate')
  @HttpCode(200)
  validate(@Body() document: unknown) {
    return { valid: true, settings: this.store.validate(document) };
  }
}
