import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseGuards,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../access/actor.js';
import { Audited } from '../audit/audited.decorator.js';
import { Access, CurrentActor, Public } from '../auth/access.decorator.js';
import { CarResponse } from '../cars/car.response.js';
import { ApiUuidParam, UuidPipe } from '../common/id.pipes.js';
import type { Environment } from '../config/environment.js';
import { VARIANT_WIDTHS } from './file-bytes.js';
import { FilesService } from './files.service.js';
import { sendFile } from './send-file.js';
import { UploadGuard, type Upload } from './upload.guard.js';

const UPLOAD_BODY = {
  schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
};

/** Car photos: uploaded by the car's agency or the admin team, served to everyone. */
@ApiTags('files')
@Controller()
export class FilesController {
  private readonly prefix: string;

  constructor(
    private readonly files: FilesService,
    private readonly config: ConfigService<Environment, true>,
  ) {
    const prefix = config.get('API_PREFIX', { infer: true }).replace(/^\/+|\/+$/g, '');
    this.prefix = prefix ? `/${prefix}` : '';
  }

  @Post('cars/:id/images')
  @Access({ roles: ['agency', 'admin'] })
  @UseGuards(UploadGuard)
  @Audited('car.update', { anyone: true })
  @ApiBearerAuth()
  @ApiOperation({ summary: "Add a photo to a car (JPEG, PNG or WebP): its URL goes last in the car's images" })
  @ApiUuidParam()
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_BODY)
  @ApiCreatedResponse({ type: CarResponse })
  @ApiBadRequestResponse({ description: 'No file, more than one part, or an image that cannot be read' })
  @ApiNotFoundResponse()
  @ApiPayloadTooLargeResponse({ description: 'Larger than UPLOAD_MAX_BYTES' })
  @ApiUnsupportedMediaTypeResponse({ description: 'Not a JPEG, PNG or WebP (by its content), or not multipart' })
  addImage(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @UploadedFile() file: Upload,
    @Body() fields: Record<string, unknown>,
    @Req() request: Request,
  ): Promise<CarResponse> {
    if (Object.keys(fields ?? {}).length > 0) throw new BadRequestException('A photo upload takes the file alone');
    return this.files.addCarImage(id, file.buffer, this.filesUrl(request), actor);
  }

  @Delete('cars/:id/images/:fileId')
  @Access({ roles: ['agency', 'admin'] })
  @Audited('car.update', { anyone: true })
  @ApiBearerAuth()
  @ApiOperation({ summary: "Remove one of a car's photos (the others keep their order)" })
  @ApiUuidParam()
  @ApiUuidParam('fileId')
  @ApiOkResponse({ type: CarResponse })
  @ApiBadRequestResponse({ description: 'Malformed id' })
  @ApiNotFoundResponse()
  removeImage(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Param('fileId', UuidPipe) fileId: string,
  ): Promise<CarResponse> {
    return this.files.removeCarImage(id, fileId, actor);
  }

  @Get('files/:id')
  @Public()
  @ApiOperation({
    summary:
      'A car photo, resized (WebP), cacheable forever (ETag, 304); a document as sent, to its owner and the admin team only',
  })
  @ApiUuidParam()
  @ApiQuery({ name: 'w', required: false, schema: { type: 'integer', enum: [...VARIANT_WIDTHS], default: 1280 } })
  @ApiProduces('image/webp', 'image/jpeg', 'image/png', 'application/pdf')
  @ApiOkResponse({ description: 'The bytes, with their Content-Type, a strong ETag and Cache-Control' })
  @ApiBadRequestResponse({ description: 'Malformed id or width' })
  @ApiNotFoundResponse()
  async read(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Query('w') w: string | undefined,
    @Res() response: Response,
  ) {
    const width = w === undefined ? undefined : Number(w);
    if (width !== undefined && !VARIANT_WIDTHS.includes(width as never)) {
      throw new BadRequestException(`w must be one of ${VARIANT_WIDTHS.join(', ')}`);
    }
    sendFile(response, await this.files.read(id, width, actor));
  }

  /** Where the files are served: PUBLIC_URL, else the origin this request came to (a trusted proxy's). */
  private filesUrl(request: Request): string {
    const origin = this.config.get('PUBLIC_URL', { infer: true }) ?? `${request.protocol}://${request.host}`;
    return `${origin.replace(/\/+$/, '')}${this.prefix}/files`;
  }
}
