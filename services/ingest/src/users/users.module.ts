import { Module } from '@nestjs/common';
import { ProfileStore, UserMergeStore } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersController],
  providers: [
    { provide: ProfileStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new ProfileStore(dataSource) },
    { provide: UserMergeStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new UserMergeStore(dataSource) },
    UsersService,
  ],
  exports: [UsersService],
})
export class UsersModule {}
