import { OmitType, PartialType } from '@nestjs/swagger';
import { CreateCarDto } from './create-car.dto.js';

/** A car stays with its agency: `agencyId` is not among what a PATCH changes (it is stripped). */
export class UpdateCarDto extends PartialType(OmitType(CreateCarDto, ['agencyId'] as const)) {}
