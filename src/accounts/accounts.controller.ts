import { Controller, Get, NotFoundException } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentActor } from '../auth/access.decorator.js';
import { isUser, type Actor } from '../auth/actor.js';
import { toAccountResponse, AccountResponse } from './account.response.js';
import { AccountsService } from './accounts.service.js';

@ApiTags('users')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid bearer token' })
@Controller('users')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

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
