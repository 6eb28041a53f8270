import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { AnalyticsService } from './analytics.service.js';
import { SUMMARY_COLUMNS, summaryRows, TIMESERIES_COLUMNS, timeseriesRows, toCsv } from './csv.js';
import { parseAnalyticsQuery } from './query.js';

/** A rendered answer: JSON, or CSV with a file name for a download. */
export type Answer = { kind: 'json'; body: unknown } | { kind: 'csv'; body: string; filename: string };

/** The HTTP side of the analytics contract: query parsing, the JSON or CSV rendering of the same rows. */
@Injectable()
export class AnalyticsApi {
  constructor(@Inject(AnalyticsService) private readonly analytics: AnalyticsService) {}

  async summary(query: Record<string, unknown>, accept: string | undefined): Promise<Answer> {
    const q = parseAnalyticsQuery(query, accept, new Date());
    const summary = await this.analytics.summary(q);
    return q.format === 'csv' ? { kind: 'csv', body: toCsv(SUMMARY_COLUMNS, summaryRows(summary)), filename: 'summary.csv' } : { kind: 'json', body: summary };
  }

  async timeseries(query: Record<string, unknown>, accept: string | undefined): Promise<Answer> {
    const q = parseAnalyticsQuery(query, accept, new Date());
    const series = await this.analytics.timeseries(q);
    return q.format === 'csv'
      ? { kind: 'csv', body: toCsv(TIMESERIES_COLUMNS, timeseriesRows(series.buckets)), filename: 'timeseries.csv' }
      : { kind: 'json', body: series };
  }

  /** Analytics describe what clinicians did: never cached by a shared cache. */
  send(res: Response, answer: Answer): void {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Vary', 'Accept, Authorization');
    if (answer.kind === 'json') {
      res.status(200).json(answer.body);
      return;
    }
    // RFC 4180 §3 / RFC 7111: text/csv with a header row; RFC 6266 attachment for the dashboard's download.
    res.status(200).type('text/csv; charset=utf-8; header=present').setHeader('Content-Disposition', `attachment; filename="${answer.filename}"`);
    res.send(answer.body);
  }
}
