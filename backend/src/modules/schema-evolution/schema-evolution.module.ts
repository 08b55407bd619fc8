import { Module } from '@nestjs/common';
import { SchemaEvolutionController } from './schema-evolution.controller';
import { SchemaEvolutionRepository } from './schema-evolution.repository';
import { SchemaEvolutionService } from './schema-evolution.service';
import { SchemaOpsAuditController } from './schema-ops-audit.controller';

@Module({
  controllers: [SchemaEvolutionController, SchemaOpsAuditController],
  providers: [SchemaEvolutionService, SchemaEvolutionRepository],
  exports: [SchemaEvolutionService],
})
export class SchemaEvolutionModule {}
