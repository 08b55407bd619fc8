import { Module } from '@nestjs/common';
import { CollectionsController } from './collections.controller';
import { CollectionsService } from './collections.service';
import { UsersCollectionProvisioner } from './users-collection.provisioner';

@Module({
  controllers: [CollectionsController],
  providers: [CollectionsService, UsersCollectionProvisioner],
  exports: [CollectionsService],
})
export class CollectionsModule {}
