import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Put } from '@nestjs/common';
import { Scope } from '@nudge/service-runtime';
import { consentSourceOf, profileUpdateOf, SOURCE_HEADER, userIdOf } from './profile-requests';
import { UsersService } from './users.service';

/** Profiles and consent (SPEC §4). */
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get(':userId')
  @Scope('ingest')
  get(@Param('userId') userId: string) {
    return this.users.get(userIdOf(userId));
  }

  @Put(':userId')
  @Scope('ingest')
  merge(@Param('userId') userId: string, @Body() body: unknown, @Headers(SOURCE_HEADER.toLowerCase()) source: string | undefined) {
    return this.users.merge(userIdOf(userId), profileUpdateOf(body), consentSourceOf(source));
  }

  /** 204 whether or not the user was known: erasure is idempotent. */
  @Delete(':userId')
  @HttpCode(204)
  async erase(@Param('userId') userId: string): Promise<void> {
    await this.users.erase(userIdOf(userId));
  }
}
