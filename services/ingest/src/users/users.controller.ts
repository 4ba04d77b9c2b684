import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import { Scope } from '@nudge/service-runtime';
import type { Request } from 'express';
import { aliasRequestOf } from './alias-requests';
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

  /**
   * Merges an anonymous id into the user (`alias`; admin key): its profile, consent and pending
   * journeys become the user's. 204, also when the id was merged into this user before; 400 for
   * an id merged into itself or a user that is itself merged, 409 for an id merged elsewhere.
   */
  @Post(':userId/aliases')
  @HttpCode(204)
  async alias(@Param('userId') userId: string, @Body() body: unknown, @Req() request: Request): Promise<void> {
    const { previousId, proof } = aliasRequestOf(body);
    const origin = {
      forwardedFor: request.headers['x-forwarded-for'],
      userAgent: request.headers['user-agent'],
      remoteAddress: request.socket.remoteAddress,
    };
    await this.users.alias(previousId, userIdOf(userId), { source: 'api', proof: consentProofOf(proof, origin) });
  }

  /** 204 whether or not the user was known: erasure is idempotent. */
  @Delete(':userId')
  @HttpCode(204)
  async erase(@Param('userId') userId: string): Promise<void> {
    await this.users.erase(userIdOf(userId));
  }
}
