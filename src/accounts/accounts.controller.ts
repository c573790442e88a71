import {
  BadRequestException,
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  Patch,
  Query,
  UseInterceptors,
  type PipeTransform,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiParam,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Access, CurrentActor } from '../auth/access.decorator.js';
import type { Page } from '../common/pagination.query.js';
import { TotalCountInterceptor } from '../common/total-count.interceptor.js';
import { AccountStatusDto, ListUsersQuery } from './dto/accounts.dto.js';
import { isUser, type Actor } from '../auth/actor.js';
import { AccountResponse, toAccountResponse, UserSummaryResponse } from './account.response.js';
import { AccountsService } from './accounts.service.js';

/** A sub as a path segment: text of at most 255 characters, no control characters. */
class SubPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    // eslint-disable-next-line no-control-regex
    if (value.length === 0 || value.length > 255 || /[\u0000-\u001f\u007f]/.test(value)) {
      throw new BadRequestException('sub must be 1 to 255 characters of text');
    }
    return value;
  }
}

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
  setStatus(
    @CurrentActor() actor: Actor,
    @Param('sub', SubPipe) sub: string,
    @Body() dto: AccountStatusDto,
  ): Promise<AccountResponse> {
    return this.accounts.setStatus(sub, dto, actor);
  }

  @Get('me')
  @ApiOperation({ summary: 'The account of the token used (kept from the tokens this API has seen)' })
  @ApiOkResponse({ type: AccountResponse })
  @ApiNotFoundResponse({ description: 'Open mode: no accounts' })
  async me(@CurrentActor() actor: Actor): Promise<AccountResponse> {
    const account = isUser(actor) ? await this.accounts.find(actor.sub) : null;
    if (!account) throw new NotFoundException('No account: open mode has no users');
    return toAccountResponse(account);
  }
}
