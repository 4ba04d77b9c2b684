import { Controller, Get, Param, Res } from '@nestjs/common';
import { Public } from '@nudge/service-runtime';
import type { Response } from 'express';
import { TrackedLinksService } from './tracked-links.service';

const NOT_FOUND_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Link not found</title></head>
<body><h1>Link not found</h1><p>This link does not exist or is no longer available.</p></body></html>
`;

/** `GET /c/{code}` (SPEC §7): where a recipient's tap on a tracked link lands. No API key: recipients have none. */
@Controller('c')
@Public()
export class TrackedLinksController {
  constructor(private readonly links: TrackedLinksService) {}

  @Get(':code')
  async follow(@Param('code') code: string, @Res() response: Response): Promise<void> {
    const target = await this.links.follow(code);
    response.setHeader('cache-control', 'no-store');
    if (target === null) {
      response.status(404).type('html').send(NOT_FOUND_PAGE);
      return;
    }
    response.redirect(302, target);
  }
}
