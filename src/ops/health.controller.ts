import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, type HealthCheckResult } from '@nestjs/terminus';
import { ReadinessService } from './readiness.service.js';

/** Probes for orchestrators and load balancers; unauthenticated, and they say nothing about the data. */
@Controller()
export class HealthController {
  constructor(@Inject(ReadinessService) private readonly readiness: ReadinessService) {}

  @Get('healthz')
  @HealthCheck()
  healthz(): Promise<HealthCheckResult> {
    return this.readiness.live();
  }

  @Get('readyz')
  @HealthCheck()
  readyz(): Promise<HealthCheckResult> {
    return this.readiness.ready();
  }
}
