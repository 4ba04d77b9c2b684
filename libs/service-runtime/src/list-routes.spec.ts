import { Controller, Delete, Get, type INestApplication, Injectable, Module, Post, Put } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { ApiAuth } from './api-auth';
import { createServiceApp } from './bootstrap';
import { listRoutes } from './list-routes';
import { ServiceMetrics } from './metrics';
import { ApiKeyExempt, type ApiKeyExemptionPolicy, Public, Scope } from './route-access';
import { SERVICE_CONFIG } from './tokens';

@Injectable()
class NeverExempt implements ApiKeyExemptionPolicy {
  exempts(): boolean {
    return false;
  }
}

@Controller('v1/things')
class ThingsController {
  @Get()
  list() {
    return [];
  }

  @Get(':id')
  @Scope('ingest')
  one() {
    return {};
  }

  @Put(':id')
  @Scope('ingest', 'user')
  put() {
    return {};
  }

  @Delete(':id')
  remove() {
    return undefined;
  }
}

@Controller('hooks/:provider')
@ApiKeyExempt(NeverExempt)
class HooksController {
  @Post('status')
  status() {
    return {};
  }

  @Get(['status', 'inbound'])
  handshake() {
    return '';
  }
}

@Controller()
class OpenController {
  @Get('open')
  @Public()
  open() {
    return 'open';
  }
}

@Module({
  imports: [LoggerModule.forRoot({ pinoHttp: { level: 'silent' } })],
  controllers: [ThingsController, HooksController, OpenController],
  providers: [
    NeverExempt,
    ApiAuth,
    { provide: SERVICE_CONFIG, useValue: {} },
    { provide: ServiceMetrics, useValue: new ServiceMetrics('test') },
  ],
})
class ThingsModule {}

describe('listRoutes', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createServiceApp(ThingsModule);
    await app.init();
  });

  afterAll(() => app?.close());

  it('lists every route the router serves, with the access its handler declares', () => {
    const routes = listRoutes(app);
    expect(routes).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: '/v1/things', public: false, scopes: ['admin'] },
        { method: 'GET', path: '/v1/things/:id', public: false, scopes: ['admin', 'ingest'] },
        { method: 'PUT', path: '/v1/things/:id', public: false, scopes: ['admin', 'ingest', 'user'] },
        { method: 'DELETE', path: '/v1/things/:id', public: false, scopes: ['admin'] },
        { method: 'POST', path: '/hooks/:provider/status', public: false, exemptWhen: 'NeverExempt', scopes: ['admin'] },
        { method: 'GET', path: '/hooks/:provider/status', public: false, exemptWhen: 'NeverExempt', scopes: ['admin'] },
        { method: 'GET', path: '/hooks/:provider/inbound', public: false, exemptWhen: 'NeverExempt', scopes: ['admin'] },
        { method: 'GET', path: '/open', public: true, scopes: ['admin'] },
      ]),
    );
    expect(routes).toHaveLength(8);
  });
});
