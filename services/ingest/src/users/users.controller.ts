import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Put, Query, Req } from '@nestjs/common';
import { Scope } from '@nudge/service-runtime';
import type { Request } from 'express';
import { consentHistoryQueryOf, consentProofOf, consentSourceOf, profileRequestOf, SOURCE_HEADER, userIdOf } from './profile-requests';
import { UsersService } from './users.service';

/** Profiles and consent (SPEC §4, §9 "Consent history"). */
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get(':userId')
  @Scope('ingest')
  get(@Param('userId') userId: string) {
    return this.users.get(userIdOf(userId));
  }

  /** The ingest key reads it, like the profile it is the proof of: the backend that records consent may show it. */
  @Get(':userId/consent')
  @Scope('ingest')
  consentHistory(@Param('userId') userId: string, @Query() query: Record<string, unknown>) {
    return this.users.consentHistory(userIdOf(userId), consentHistoryQueryOf(query));
  }

  /** Topic and weekly-maximum changes with their proof, read like the consent history (same key, same paging). */
  @Get(':userId/preferences/history')
  @Scope('ingest')
  preferenceHistory(@Param('userId') userId: string, @Query() query: Record<string, unknown>) {
    return this.users.preferenceHistory(userIdOf(userId), consentHistoryQueryOf(query));
  }

  @Put(':userId')
  @Scope('ingest')
  merge(
    @Param('userId') userId: string,
    @Body() body: unknown,
    @Headers(SOURCE_HEADER.toLowerCase()) source: string | undefined,
    @Req() request: Request,
  ) {
    const { update, proof } = profileRequestOf(body);
    const origin = {
      forwardedFor: request.headers['x-forwarded-for'],
      userAgent: request.headers['user-agent'],
      remoteAddress: request.socket.remoteAddress,
    };
    return this.users.merge(userIdOf(userId), update, { source: consentSourceOf(source), proof: consentProofOf(proof, origin) });
  }

  /** 204 whether or not the user was known: erasure is idempotent. */
  @Delete(':userId')
  @HttpCode(204)
  async erase(@Param('userId') userId: string): Promise<void> {
    await this.users.erase(userIdOf(userId));
  }
}
