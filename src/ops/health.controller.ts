import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { ReadinessService } from './readiness.service.js';

/**
 * Probes for orchestrators and load balancers, unauthenticated and saying nothing about the data.
 * `/healthz`: the process is up and answering (a liveness probe restarts it otherwise).
 */
@Controller()
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(ReadinessService) private readonly readiness: ReadinessService,
  ) {}

  @Get('healthz')
  @HealthCheck()
  healthz(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('readyz')
  @HealthCheck()
  readyz(): Promise<HealthCheckResult> {
    return this.health.check(this.readiness.indicators());
  }
}
