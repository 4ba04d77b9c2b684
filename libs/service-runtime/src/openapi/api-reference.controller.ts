import { dirname, join } from 'node:path';
import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { HttpAdapterHost, ModulesContainer, Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { accessibleRoutesOf } from '../list-routes';
import { Public } from '../route-access';
import { type ApiReference, buildOpenApiDocument, type OpenApiDocument } from './openapi-document';
import { RUNTIME_OPERATIONS } from './runtime-operations';

/** Injection token of the service's `ApiReference`. */
export const API_REFERENCE = Symbol('API_REFERENCE');

/** Starts Swagger UI on the document; a file of its own, so the page needs no inline script. */
const DOCS_SCRIPT = `window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;

/**
 * `GET /openapi.json`: the service's OpenAPI 3.1 document, built once on first request from
 * its operations and the routes' access metadata. `GET /docs`: Swagger UI rendering it.
 * Public: an API's description is no secret (every route still needs its key).
 */
@Controller()
export class ApiReferenceController {
  private document: OpenApiDocument | null = null;

  constructor(
    @Inject(API_REFERENCE) private readonly reference: ApiReference,
    private readonly modules: ModulesContainer,
    private readonly reflector: Reflector,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Get('openapi.json')
  @Public()
  openApi(): OpenApiDocument {
    if (!this.document) {
      const express = this.adapterHost.httpAdapter.getInstance();
      const routes = accessibleRoutesOf({ modules: this.modules, reflector: this.reflector, express });
      this.document = buildOpenApiDocument(
        { ...this.reference, operations: [...this.reference.operations, ...RUNTIME_OPERATIONS] },
        routes,
      );
    }
    return this.document;
  }

  @Get('docs')
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  docs(): string {
    return docsPage(this.reference.title);
  }

  @Get('docs/swagger-ui.css')
  @Public()
  swaggerUiStyle(@Res() response: Response): void {
    sendSwaggerUiFile(response, 'swagger-ui.css', 'text/css; charset=utf-8');
  }

  @Get('docs/swagger-ui-bundle.js')
  @Public()
  swaggerUiScript(@Res() response: Response): void {
    sendSwaggerUiFile(response, 'swagger-ui-bundle.js', 'application/javascript; charset=utf-8');
  }

  @Get('docs/docs.js')
  @Public()
  @Header('Content-Type', 'application/javascript; charset=utf-8')
  docsScript(): string {
    return DOCS_SCRIPT;
  }
}

/** The API reference page: Swagger UI's files and `docs.js`, all relative to `/docs`, loading `openapi.json`. */
export function docsPage(title: string): string {
  const escaped = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escaped}</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
<noscript>This page renders <a href="openapi.json">openapi.json</a> (OpenAPI 3.1) with JavaScript.</noscript>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/docs.js"></script>
</body>
</html>
`;
}

/** One of Swagger UI's files, from the swagger-ui-dist package (no CDN: the page works offline). */
function sendSwaggerUiFile(response: Response, file: string, type: string): void {
  response.setHeader('cache-control', 'public, max-age=3600');
  response.type(type).sendFile(join(dirname(require.resolve('swagger-ui-dist/package.json')), file));
}
