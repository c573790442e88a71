import { Body, Controller, Get, Param, Patch, Post, Query, UploadedFile, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiQuery,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { Audited } from '../audit/audited.decorator.js';
import { Access, CurrentActor } from '../auth/access.decorator.js';
import { ApiUuidParam, UuidPipe } from '../common/id.pipes.js';
import { IssuerPipe, SubPipe } from '../common/id.pipes.js';
import { UploadGuard, type Upload } from '../files/upload.guard.js';
import { AGENCY_DOCUMENT_TYPES, RENTER_DOCUMENT_TYPES } from './document.entity.js';
import { DocumentResponse } from './document.response.js';
import { DocumentsService } from './documents.service.js';
import { ReviewDocumentDto } from './dto/documents.dto.js';

const uploadBody = (types: readonly string[]) => ({
  schema: {
    type: 'object',
    required: ['type', 'file'],
    properties: { type: { type: 'string', enum: [...types] }, file: { type: 'string', format: 'binary' } },
  },
});

/** Papers for verification: sent by agencies and renters, private to them and the admin team, reviewed by it. */
@ApiTags('documents')
@ApiBearerAuth()
@ApiBadRequestResponse({ description: 'Invalid type, id or body, an unreadable image, or more than one part' })
@Controller()
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post('agencies/:id/documents')
  // Also while pending: the application is where papers are sent.
  @Access({ roles: ['agency', 'admin'], purpose: 'application' })
  @UseGuards(UploadGuard)
  @ApiOperation({ summary: "Send one of an agency's papers (PDF or image), by the agency itself or the admin team" })
  @ApiUuidParam()
  @ApiConsumes('multipart/form-data')
  @ApiBody(uploadBody(AGENCY_DOCUMENT_TYPES))
  @ApiCreatedResponse({ type: DocumentResponse })
  @ApiNotFoundResponse()
  @ApiPayloadTooLargeResponse({ description: 'Larger than UPLOAD_MAX_BYTES' })
  @ApiUnsupportedMediaTypeResponse({ description: 'Not a PDF, JPEG, PNG or WebP (by its content)' })
  addForAgency(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Body('type') type: string,
    @UploadedFile() file: Upload,
  ): Promise<DocumentResponse> {
    return this.documents.addForAgency(id, type, file.buffer, actor);
  }

  @Get('agencies/:id/documents')
  @Access({ roles: ['agency', 'admin'] })
  @ApiOperation({ summary: "An agency's papers, newest first (the agency itself and the admin team)" })
  @ApiUuidParam()
  @ApiOkResponse({ type: [DocumentResponse] })
  @ApiNotFoundResponse()
  listForAgency(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<DocumentResponse[]> {
    return this.documents.listForAgency(id, actor);
  }

  @Post('users/me/documents')
  @Access({ roles: ['renter'] })
  @UseGuards(UploadGuard)
  @ApiOperation({ summary: 'Send your driving licence or ID card (PDF or image)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody(uploadBody(RENTER_DOCUMENT_TYPES))
  @ApiCreatedResponse({ type: DocumentResponse })
  @ApiPayloadTooLargeResponse({ description: 'Larger than UPLOAD_MAX_BYTES' })
  @ApiUnsupportedMediaTypeResponse({ description: 'Not a PDF, JPEG, PNG or WebP (by its content)' })
  addForRenter(
    @CurrentActor() actor: Actor,
    @Body('type') type: string,
    @UploadedFile() file: Upload,
  ): Promise<DocumentResponse> {
    return this.documents.addForRenter(type, file.buffer, actor);
  }

  @Get('users/me/documents')
  @Access({ roles: ['renter'] })
  @ApiOperation({ summary: 'Your documents, newest first' })
  @ApiOkResponse({ type: [DocumentResponse] })
  listMine(@CurrentActor() actor: Actor & { kind: 'user' }): Promise<DocumentResponse[]> {
    return this.documents.listForUser(actor, actor);
  }

  @Get('users/:sub/documents')
  @Access({ roles: ['admin'] })
  @ApiOperation({ summary: "A renter's documents (admin)" })
  @ApiParam({ name: 'sub', schema: { type: 'string', maxLength: 200 } })
  @ApiQuery({ name: 'issuer', required: false, schema: { type: 'string' } })
  @ApiOkResponse({ type: [DocumentResponse] })
  @ApiNotFoundResponse()
  listForUser(
    @CurrentActor() actor: Actor,
    @Param('sub', SubPipe) sub: string,
    @Query('issuer', IssuerPipe) issuer: string | undefined,
  ): Promise<DocumentResponse[]> {
    return this.documents.listForUser({ sub, issuer: issuer ?? '' }, actor);
  }

  @Patch('documents/:id')
  @Access({ roles: ['admin'] })
  @Audited('document.review')
  @ApiOperation({ summary: 'Approve or reject a document (admin); its owner is told' })
  @ApiUuidParam()
  @ApiOkResponse({ type: DocumentResponse })
  @ApiNotFoundResponse()
  review(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Body() dto: ReviewDocumentDto,
  ): Promise<DocumentResponse> {
    return this.documents.review(id, dto, actor);
  }
}
