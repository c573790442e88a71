import { Body, Controller, Get, Param, Patch, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiParam,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Access, CurrentActor } from '../auth/access.decorator.js';
import type { Page } from '../common/pagination.query.js';
import { TotalCountInterceptor } from '../common/total-count.interceptor.js';
import { AccountStatusDto, ListUsersQuery, UpdateProfileDto } from './dto/accounts.dto.js';
import type { Actor } from '../access/actor.js';
import { Audited } from '../audit/audited.decorator.js';
import { AccountResponse, UserSummaryResponse } from './account.response.js';
import { AccountsService } from './accounts.service.js';
import { IssuerPipe, SubPipe } from '../common/id.pipes.js';

@ApiBadRequestResponse({ description: 'Invalid body, query or id' })
@ApiTags('users')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid bearer token' })
@Controller('users')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @Access({ roles: ['admin'] })
  @UseInterceptors(TotalCountInterceptor)
  @ApiOperation({ summary: 'The accounts seen in tokens (admin), last seen first, with bookings and reviews counted' })
  @ApiOkResponse({ type: [UserSummaryResponse], description: 'Plain array; the total is in X-Total-Count' })
  list(@Query() query: ListUsersQuery): Promise<Page<UserSummaryResponse>> {
    return this.accounts.list(query);
  }

  @Patch(':sub/status')
  @Access({ roles: ['admin'] })
  @ApiOperation({
    summary:
      'Suspend (with a reason) or reinstate an account (admin): suspended, every request is a 403 and its streams and sockets end',
  })
  @ApiParam({ name: 'sub', description: "The account's sub" })
  @ApiOkResponse({ type: AccountResponse })
  @ApiNotFoundResponse({ description: 'No account with that sub' })
  @ApiConflictResponse({ description: 'Your own account' })
  @ApiQuery({
    name: 'issuer',
    required: false,
    description: 'The issuer, when accounts of several issuers share the sub',
  })
  @Audited('user.status')
  setStatus(
    @CurrentActor() actor: Actor,
    @Param('sub', SubPipe) sub: string,
    @Query('issuer', IssuerPipe) issuer: string | undefined,
    @Body() dto: AccountStatusDto,
  ): Promise<AccountResponse> {
    return this.accounts.setStatus(sub, issuer, dto, actor);
  }

  @Get('me')
  @ApiOperation({ summary: "The account of the token used, in that token's role (kept from the tokens seen)" })
  @ApiOkResponse({ type: AccountResponse })
  @ApiNotFoundResponse({ description: 'Open mode: no accounts' })
  me(@CurrentActor() actor: Actor): Promise<AccountResponse> {
    return this.accounts.me(actor);
  }

  @Patch('me')
  @Audited('user.profile')
  @ApiOperation({ summary: "Edit your own profile (first and last name, phone, locale, avatar URL; '' clears one)" })
  @ApiOkResponse({ type: AccountResponse })
  @ApiNotFoundResponse({ description: 'Open mode: no accounts' })
  updateMe(@CurrentActor() actor: Actor, @Body() dto: UpdateProfileDto): Promise<AccountResponse> {
    return this.accounts.updateMe(actor, dto);
  }

  @Get(':sub')
  @Access({ roles: ['admin'] })
  @ApiOperation({ summary: 'One account (admin), with its bookings and reviews counted and its status' })
  @ApiParam({ name: 'sub', description: "The account's sub" })
  @ApiQuery({
    name: 'issuer',
    required: false,
    description: 'The issuer, when accounts of several issuers share the sub',
  })
  @ApiOkResponse({ type: UserSummaryResponse })
  @ApiNotFoundResponse({ description: 'No account with that sub' })
  @ApiConflictResponse({ description: 'Several issuers have an account with that sub: name the issuer' })
  findOne(@Param('sub', SubPipe) sub: string, @Query('issuer', IssuerPipe) issuer: string | undefined) {
    return this.accounts.findBySub(sub, issuer);
  }
}
