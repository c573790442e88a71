import { AddFilterIndexes1795546083163 } from './1795546083163-AddFilterIndexes.js';
import { InitialSchema1795543429461 } from './1795543429461-InitialSchema.js';
import { AddIdempotencyKeys1795587941987 } from './1795587941987-AddIdempotencyKeys.js';
import { AddAgencies1795600000000 } from './1795600000000-AddAgencies.js';
import { AddFeedSequences1795700000000 } from './1795700000000-AddFeedSequences.js';
import { NotifyFromTriggers1795700000001 } from './1795700000001-NotifyFromTriggers.js';
import { NameChangedTable1795800000000 } from './1795800000000-NameChangedTable.js';
import { NotificationsByCreation1795900000000 } from './1795900000000-NotificationsByCreation.js';
import { RentersAndProfiles1796000000000 } from './1796000000000-RentersAndProfiles.js';
import { PlatformCasework1796100000000 } from './1796100000000-PlatformCasework.js';
import { AccessAndAudit1796200000000 } from './1796200000000-AccessAndAudit.js';
import { Profiles1796300000000 } from './1796300000000-Profiles.js';
import { NotificationCategories1796400000000 } from './1796400000000-NotificationCategories.js';
import { AgencyListsAndRejection1796500000000 } from './1796500000000-AgencyListsAndRejection.js';
import { Favorites1796600000000 } from './1796600000000-Favorites.js';
import { SupportRequests1796700000000 } from './1796700000000-SupportRequests.js';
import { AnalyticsRollups1796800000000 } from './1796800000000-AnalyticsRollups.js';
import { Files1796900000000 } from './1796900000000-Files.js';
import { Documents1797000000000 } from './1797000000000-Documents.js';
import { MailAndLanguages1797100000000 } from './1797100000000-MailAndLanguages.js';

/** Every migration, oldest first. Add new ones here. */
export const migrations = [
  InitialSchema1795543429461,
  AddFilterIndexes1795546083163,
  AddIdempotencyKeys1795587941987,
  AddAgencies1795600000000,
  AddFeedSequences1795700000000,
  NotifyFromTriggers1795700000001,
  NameChangedTable1795800000000,
  NotificationsByCreation1795900000000,
  RentersAndProfiles1796000000000,
  PlatformCasework1796100000000,
  AccessAndAudit1796200000000,
  Profiles1796300000000,
  NotificationCategories1796400000000,
  AgencyListsAndRejection1796500000000,
  Favorites1796600000000,
  SupportRequests1796700000000,
  AnalyticsRollups1796800000000,
  Files1796900000000,
  Documents1797000000000,
  MailAndLanguages1797100000000,
];
