import { Body, Controller, Get, Header, Headers, HttpCode, Post, UseFilters } from '@nestjs/common';
import { CdsExceptionFilter } from '../cds/cds-exception.filter.js';
import { ConsoleService } from './console.service.js';

/** The page may load its own script and style, call its own origin, and be framed by nobody. */
const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The demo EHR console at `/` (demo configuration only). */
@Controller()
@UseFilters(CdsExceptionFilter)
export class ConsoleController {
  constructor(private readonly console: ConsoleService) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', PAGE_CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  page(): string {
    return this.console.file('page');
  }

  @Get('console/assets/console.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('X-Content-Type-Options', 'nosniff')
  script(): string {
    return this.console.file('script');
  }

  @Get('console/assets/console.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('X-Content-Type-Options', 'nosniff')
  style(): string {
    return this.console.file('style');
  }

  @Get('console/api/scenarios')
  scenarios() {
    return this.console.chart();
  }

  @Post('console/api/ehr')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  call(@Body() body: unknown, @Headers() headers: { origin?: string; 'sec-fetch-site'?: string }) {
    return this.console.call(body, headers);
  }
}
