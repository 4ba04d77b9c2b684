import { Controller, Get, type INestApplication, Injectable, Module, Param } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import type { Request } from 'express';
import type { AddressInfo } from 'node:net';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyExempt, type ApiKeyExemptionPolicy, Public } from './route-access';
import { SERVICE_CONFIG } from './tokens';

@Injectable()
class OnlyOpenDoors implements ApiKeyExemptionPolicy {
  exempts(request: Request): boolean {
    return request.params.door === 'open';
  }
}

@Controller('v1')
class DoorsController {
  @Get('guarded')
  guarded() {
    return 'guarded';
  }

  @Get('public')
  @Public()
  open() {
    return 'public';
  }

  @Get('doors/:door')
  @ApiKeyExempt(OnlyOpenDoors)
  door(@Param('door') door: string) {
    return door;
  }
}

describe('ApiKeyGuard', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    @Module({
      controllers: [DoorsController],
      providers: [
        OnlyOpenDoors,
        { provide: SERVICE_CONFIG, useValue: { NUDGE_API_KEY: 'secret' } },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
    })
    class DoorsModule {}
    app = await NestFactory.create(DoorsModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(() => app?.close());

  const status = async (path: string, key?: string) =>
    (await fetch(`${url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} })).status;

  it('a /v1 route needs the key', async () => {
    expect(await status('/v1/guarded')).toBe(401);
    expect(await status('/v1/guarded', 'wrong')).toBe(401);
    expect(await status('/v1/guarded', 'secret')).toBe(200);
  });

  it('@ApiKeyExempt() lets every caller through', async () => {
    expect(await status('/v1/public')).toBe(200);
  });

  it('@ApiKeyExempt(policy) lets through only what the policy exempts', async () => {
    expect(await status('/v1/doors/open')).toBe(200);
    expect(await status('/v1/doors/locked')).toBe(401);
    expect(await status('/v1/doors/locked', 'secret')).toBe(200);
  });
});
