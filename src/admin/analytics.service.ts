import { Injectable } from '@nestjs/common';
import { InvalidInput } from '../common/domain-errors.js';
import type { OverviewQuery, SeriesGroup, SeriesPoint, SeriesQuery, SeriesResponse } from './analytics.dto.js';
import { OverviewRepository, type SeriesRow } from './overview.repository.js';
import { toOverviewResponse, type OverviewResponse } from './overview.response.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_SPAN_DAYS = 3660;
/** Periods per series: a daily series covers at most this many days. */
const MAX_PERIODS = 1000;
const SECONDS_PER_DAY = 86_400;

/** The admin team's figures: the overview of a period, and series per day, week or month. */
@Injectable()
export class AnalyticsService {
  constructor(private readonly figures: OverviewRepository) {}

  async overview(query: OverviewQuery): Promise<OverviewResponse> {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    checkSpan(from, to);
    // The whole UTC days inside the period come from the rollups; the rest of a day at either end from the tables.
    let daysFrom = new Date(Math.ceil(from.getTime() / DAY_MS) * DAY_MS);
    let daysTo = new Date(Math.floor(to.getTime() / DAY_MS) * DAY_MS);
    if (daysFrom >= daysTo) daysFrom = daysTo = to;
    return toOverviewResponse(await this.figures.overview(from, to, daysFrom, daysTo), from, to);
  }

  async series(query: SeriesQuery): Promise<SeriesResponse> {
    const to = query.to ? dayAfter(new Date(query.to)) : dayAfter(new Date());
    const from = query.from ? dayOf(new Date(query.from)) : monthsBefore(to, 12);
    checkSpan(from, to);
    if (query.interval === 'day' && (to.getTime() - from.getTime()) / DAY_MS > MAX_PERIODS) {
      throw new InvalidInput(`A daily series covers at most ${MAX_PERIODS} days`);
    }
    const [fromDay, toDay] = [from, to].map((date) => date.toISOString().slice(0, 10));
    const platform = await this.figures.series('total', query.interval, fromDay, toDay);
    const response: SeriesResponse = {
      from: fromDay,
      to: toDay,
      interval: query.interval,
      points: platform.map(toPoint),
    };
    if (!query.by) return response;
    const rows = await this.figures.series(query.by, query.interval, fromDay, toDay);
    const byKey = new Map<string, SeriesRow[]>();
    for (const row of rows) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row]);
    const names = query.by === 'agency' ? await this.figures.agencyNames([...byKey.keys()]) : undefined;
    response.groups = [...byKey]
      .map(([key, keyRows]): SeriesGroup => ({ key, label: names?.get(key) ?? key, points: keyRows.map(toPoint) }))
      .sort((a, b) => a.label.localeCompare(b.label, 'en') || a.key.localeCompare(b.key, 'en'));
    return response;
  }
}

function checkSpan(from: Date, to: Date): void {
  if (to <= from) throw new InvalidInput('to must be after from');
  if (to.getTime() - from.getTime() > MAX_SPAN_DAYS * DAY_MS) {
    throw new InvalidInput(`The period may span at most ${MAX_SPAN_DAYS} days`);
  }
}

/** The start of the UTC day of `date`. */
const dayOf = (date: Date) => new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
/** The start of the UTC day after the one `date` falls in (`date` itself when it is a day's start). */
const dayAfter = (date: Date) => new Date(Math.ceil(date.getTime() / DAY_MS) * DAY_MS);

function monthsBefore(date: Date, months: number): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - months, date.getUTCDate()));
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

function toPoint(row: SeriesRow): SeriesPoint {
  const booked = Number(row.booked_seconds) / SECONDS_PER_DAY;
  const available = Number(row.available_seconds) / SECONDS_PER_DAY;
  return {
    start: row.period,
    end: row.period_end,
    bookingsCreated: row.created,
    revenue: Number(row.revenue),
    newAccounts: row.new_accounts,
    occupancy: available > 0 ? round(booked / available, 4) : 0,
    bookedCarDays: round(booked, 2),
    availableCarDays: round(available, 2),
  };
}
