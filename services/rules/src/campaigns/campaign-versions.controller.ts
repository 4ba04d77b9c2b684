import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { rollbackVersionOf, versionOf, versionsPageOf } from './campaign-versions';
import { CampaignVersions } from './campaign-versions.service';

/** A campaign's version history (reads) and the changes made from it: rollback, pause, activate (writes). */
@Controller('v1/campaigns/:id')
export class CampaignVersionsController {
  constructor(private readonly versions: CampaignVersions) {}

  @Get('versions')
  async list(@Param('id') id: string, @Query() query: unknown) {
    return this.versions.page(id, versionsPageOf(query));
  }

  @Get('versions/:version')
  async get(@Param('id') id: string, @Param('version') version: string) {
    return this.versions.get(id, versionOf(version));
  }

  @Post('rollback')
  @HttpCode(200)
  async rollback(@Param('id') id: string, @Body() body: unknown) {
    const result = await this.versions.rollback(id, rollbackVersionOf(body));
    return { change: result.change, ...result.campaign };
  }

  @Post('pause')
  @HttpCode(200)
  async pause(@Param('id') id: string) {
    const result = await this.versions.setStatus(id, 'paused');
    return { change: result.change, ...result.campaign };
  }

  @Post('activate')
  @HttpCode(200)
  async activate(@Param('id') id: string) {
    const result = await this.versions.setStatus(id, 'active');
    return { change: result.change, ...result.campaign };
  }
}
