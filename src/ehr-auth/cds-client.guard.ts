import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { CdsClient } from './cds-client.js';

/** Authenticates CDS clients on discovery, service calls and feedback (CDS Hooks §Trusting CDS Clients). */
@Injectable()
export class CdsClientGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ cdsClient?: CdsClient }>();
    if (this.config.auth.required) throw new UnauthorizedException();
    req.cdsClient = { authenticated: false, issuer: null };
    return true;
  }
}
