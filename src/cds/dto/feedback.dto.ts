import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, ValidateIf, ValidateNested, ValidateBy } from 'class-validator';

/**
 * §Feedback `outcomeTimestamp`: RFC 3339 date-time in UTC (logical model: instant). `Z` or `+00:00`
 * only; `-00:00` means "offset unknown" in RFC 3339 and is refused.
 */
export const RFC3339_UTC = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|\+00:00)$/i;

/** RFC 3339 §5.7: the day exists in its month (leap years per Appendix C); year 0000 is no instant PostgreSQL or FHIR `instant` holds. */
function dayExists(year: number, month: number, day: number): boolean {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return year >= 1 && day <= days;
}

/** An RFC 3339 UTC date-time (RFC3339_UTC) naming a real day. */
export function isUtcInstant(value: unknown): boolean {
  if (typeof value !== 'string' || !RFC3339_UTC.test(value)) return false;
  return dayExists(Number(value.slice(0, 4)), Number(value.slice(5, 7)), Number(value.slice(8, 10)));
}

/** §Coding. */
export class CodingDto {
  @IsString() @IsNotEmpty() code!: string;
  @IsString() @IsNotEmpty() system!: string;
  @IsOptional() @IsString() @IsNotEmpty() display?: string;
}

/** §Feedback overrideReason; cds-fb-3: reason or userComment (or both). */
export class OverrideReasonDto {
  @ValidateIf((o: OverrideReasonDto) => o.reason !== undefined || o.userComment === undefined)
  @IsObject({ message: 'overrideReason needs reason or userComment (cds-fb-3)' })
  @ValidateNested()
  @Type(() => CodingDto)
  reason?: CodingDto;
  @IsOptional() @IsString() @IsNotEmpty() userComment?: string;
}

/** §Feedback acceptedSuggestions item. */
export class AcceptedSuggestionDto {
  @IsString() @IsNotEmpty() id!: string;
}

/** §Feedback: one item. */
export class FeedbackItemDto {
  @IsString() @IsNotEmpty() card!: string;
  // cds-fb-1
  @IsIn(['accepted', 'overridden']) outcome!: 'accepted' | 'overridden';
  // cds-fb-2: accepted ⇒ the suggestions the user accepted.
  @ValidateIf((o: FeedbackItemDto) => o.outcome === 'accepted' || o.acceptedSuggestions !== undefined)
  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => AcceptedSuggestionDto)
  acceptedSuggestions?: AcceptedSuggestionDto[];
  @IsOptional() @IsObject() @ValidateNested() @Type(() => OverrideReasonDto) overrideReason?: OverrideReasonDto;
  @IsString()
  @ValidateBy({ name: 'isUtcInstant', validator: { validate: isUtcInstant, defaultMessage: () => '$property must be an RFC 3339 date-time in UTC' } })
  outcomeTimestamp!: string;
  @IsOptional() @IsObject() extension?: Record<string, unknown>;
}

/** §Feedback request body: `{ "feedback": [ ... ] }` (array wrapper, cds-hooks/docs PR #590). */
export class FeedbackRequestDto {
  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => FeedbackItemDto)
  feedback!: FeedbackItemDto[];
}
