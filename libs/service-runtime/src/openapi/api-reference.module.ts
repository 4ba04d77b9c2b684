import { type DynamicModule, Module } from '@nestjs/common';
import { API_REFERENCE, ApiReferenceController } from './api-reference.controller';
import type { ApiReference } from './openapi-document';

/** Serves a service's `GET /openapi.json` and `GET /docs` (see `ApiReferenceController`). */
@Module({})
export class ApiReferenceModule {
  static forService(reference: ApiReference): DynamicModule {
    return {
      module: ApiReferenceModule,
      controllers: [ApiReferenceController],
      providers: [{ provide: API_REFERENCE, useValue: reference }],
    };
  }
}
