import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  Equals,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Min,
  ValidateIf,
  ValidateNested,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import type { Bundle, HookName } from '../cds-types.js';

/** `Type/id` (cds-hooks-library `ord-1`; patient-view: "format Type/id"). */
const RELATIVE_REFERENCE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;

/** A FHIR Bundle as JSON: an object whose resourceType is `Bundle`. */
function IsBundle(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isBundle',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a FHIR Bundle', ...options },
      validator: {
        validate: (v: unknown) =>
          typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { resourceType?: unknown }).resourceType === 'Bundle',
      },
    });
}

/** §Passing the Access Token to the CDS Service. */
export class FhirAuthorizationDto {
  @IsString() @IsNotEmpty() access_token!: string;
  @Equals('Bearer') token_type!: 'Bearer';
  @IsInt() @Min(0) expires_in!: number;
  @IsString() @IsNotEmpty() scope!: string;
  @IsString() @IsNotEmpty() subject!: string;
  @IsOptional() @IsString() @IsNotEmpty() patient?: string;
}

/** §HTTP Request: the hook-independent part of a service call body. */
export class CdsRequestDto {
  @IsString() @IsNotEmpty() hook!: string;
  // §Calling a CDS Service: hookInstance is a UUID (logical model type `uuid`).
  @IsUUID('all') hookInstance!: string;
  // cds-r-1: fhirServer is REQUIRED when fhirAuthorization is present.
  @ValidateIf((o: CdsRequestDto) => o.fhirServer !== undefined || o.fhirAuthorization !== undefined)
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'], require_tld: false })
  fhirServer?: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => FhirAuthorizationDto) fhirAuthorization?: FhirAuthorizationDto;
  // Validated per hook by the context DTOs below.
  @IsObject() context!: Record<string, unknown>;
  @IsOptional() @IsObject() prefetch?: Record<string, unknown>;
  // §Extensions: the value of `extension` is always a JSON object.
  @IsOptional() @IsObject() extension?: Record<string, unknown>;
}

/** Fields every supported hook's context has (cds-hooks-library 1.0.1). */
export class BaseContextDto {
  @Matches(RELATIVE_REFERENCE, { message: '$property must be a relative reference Type/id' }) userId!: string;
  @IsString() @IsNotEmpty() patientId!: string;
  @IsOptional() @IsString() @IsNotEmpty() encounterId?: string;
  @IsOptional() @IsObject() extension?: Record<string, unknown>;
}

/** patient-view: userId, patientId, encounterId?. */
export class PatientViewContextDto extends BaseContextDto {}

/** order-select: the newly selected orders (`Type/id`, ord-1) within all draft orders. */
export class OrderSelectContextDto extends BaseContextDto {
  // "fires when a clinician selects one or more new orders"
  @IsArray()
  @ArrayNotEmpty()
  @Matches(RELATIVE_REFERENCE, { each: true, message: 'each of $property must be a relative reference Type/id' })
  selections!: string[];
  @IsBundle() draftOrders!: Bundle;
}

/** order-sign: the orders being signed. */
export class OrderSignContextDto extends BaseContextDto {
  @IsBundle() draftOrders!: Bundle;
}

/** medication-prescribe (legacy, deprecated for order-select/order-sign): the draft medications. */
export class MedicationPrescribeContextDto extends BaseContextDto {
  @IsBundle() medications!: Bundle;
}

/** The context DTO for each hook this host supports. */
export const CONTEXT_DTOS: Record<HookName, new () => BaseContextDto> = {
  'patient-view': PatientViewContextDto,
  'order-select': OrderSelectContextDto,
  'order-sign': OrderSignContextDto,
  'medication-prescribe': MedicationPrescribeContextDto,
};

/** Hooks this host supports, i.e. the ones it can validate contexts for. */
export const SUPPORTED_HOOKS = Object.keys(CONTEXT_DTOS) as HookName[];

/** `CdsRequestDto` whose `context` is checked as `contextDto`, so one validation pass covers the whole body. */
function requestDtoFor(contextDto: new () => BaseContextDto): new () => CdsRequestDto {
  class HookRequestDto extends CdsRequestDto {
    @ValidateNested() @Type(() => contextDto) declare context: Record<string, unknown>;
  }
  return HookRequestDto;
}

/** The whole-body DTO for a service call on each hook (§HTTP Request plus the hook's context table). */
export const REQUEST_DTOS = Object.fromEntries(SUPPORTED_HOOKS.map((hook) => [hook, requestDtoFor(CONTEXT_DTOS[hook])])) as Record<HookName, new () => CdsRequestDto>;
