import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { NotFoundError } from '@nudge/contracts';
import { CampaignCatalog } from './campaign-catalog.service';
import { CampaignsStore } from './campaigns.store';

/** Campaign admin API (SPEC §5). */
@Controller('v1/campaigns')
export class CampaignsController {
  constructor(
    private readonly catalog: CampaignCatalog,
    private readonly store: CampaignsStore,
  ) {}

  @Get()
  async list() {
    return { items: await this.store.findAll() };
  }

  @Post('validate')
  @HttpCode(200)
  validate(@Body() document: unknown) {
    const campaign = this.catalog.validate(document);
    return { valid: true, campaign };
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const campaign = await this.store.find(id);
    if (!campaign) throw new NotFoundError(`no campaign ${id}`);
    return campaign;
  }

  @Put(':id')
  async put(@Param('id') id: string, @Body() document: unknown) {
    const withId = document && typeof document === 'object' && !Array.isArray(document) ? { id, ...(document as object) } : document;
    const result = await this.catalog.save(withId, 'api', id);
    return { change: result.change, ...result.campaign };
  }
}
