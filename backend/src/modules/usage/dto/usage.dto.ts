import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ROUTE_GROUPS } from '../usage-aggregator';

export const USAGE_RANGES = ['1h', '24h'] as const;
export type UsageRange = (typeof USAGE_RANGES)[number];

export class UsageQueryDto {
  @ApiPropertyOptional({ enum: USAGE_RANGES, default: '1h' })
  @IsOptional()
  @IsIn(USAGE_RANGES)
  range?: UsageRange;
}

export class StatsQueryDto {
  @ApiPropertyOptional({
    enum: USAGE_RANGES,
    default: '24h',
    description: 'Window of the webhook delivery and workflow run counts',
  })
  @IsOptional()
  @IsIn(USAGE_RANGES)
  range?: UsageRange;
}

export class UsagePointDto {
  @ApiProperty({ description: 'Start of the step (ISO date-time)' })
  t!: string;
  @ApiProperty()
  requests!: number;
  @ApiProperty({ description: 'Requests per minute over the step' })
  requests_per_min!: number;
  @ApiProperty()
  errors_4xx!: number;
  @ApiProperty()
  errors_5xx!: number;
  @ApiProperty({ description: '(4xx + 5xx) / requests, 0 without requests' })
  error_rate!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'p95 latency in ms: the upper bound of the histogram bucket holding it',
  })
  p95_ms!: number | null;
}

export class UsageGroupTotalsDto extends UsagePointDto {
  @ApiProperty({ enum: ROUTE_GROUPS })
  group!: string;
}

export class UsageSeriesDto {
  @ApiProperty({ enum: ROUTE_GROUPS })
  group!: string;
  @ApiProperty({ type: [UsagePointDto] })
  points!: UsagePointDto[];
}

export class UsageReportDto {
  @ApiProperty({ enum: USAGE_RANGES })
  range!: UsageRange;
  @ApiProperty({ description: '60 over 1h, 600 over 24h' })
  step_seconds!: number;
  @ApiProperty()
  from!: string;
  @ApiProperty()
  to!: string;
  @ApiProperty({ type: UsagePointDto, description: 'The whole range, all groups' })
  totals!: UsagePointDto;
  @ApiProperty({
    type: [UsageGroupTotalsDto],
    description: 'The whole range, per group with traffic',
  })
  groups!: UsageGroupTotalsDto[];
  @ApiProperty({ type: [UsagePointDto], description: 'Every step, all groups' })
  overall!: UsagePointDto[];
  @ApiProperty({ type: [UsageSeriesDto], description: 'Every step, per group with traffic' })
  series!: UsageSeriesDto[];
}

export class CollectionCountDto {
  @ApiProperty()
  name!: string;
  @ApiProperty()
  records!: number;
  @ApiProperty({ description: "true: the planner's estimate (big tables), not an exact count" })
  estimate!: boolean;
}

export class BucketBytesDto {
  @ApiProperty()
  bucket!: string;
  @ApiProperty()
  files!: number;
  @ApiProperty()
  bytes!: number;
}

export class StorageStatsDto {
  @ApiProperty({ description: "Tables, indexes and TOAST of the project's schema" })
  database_bytes!: number;
  @ApiProperty()
  files_bytes!: number;
  @ApiProperty()
  files_count!: number;
  @ApiProperty({ type: [BucketBytesDto] })
  buckets!: BucketBytesDto[];
}

export class DeliveryStatsDto {
  @ApiProperty()
  delivered!: number;
  @ApiProperty()
  failed!: number;
  @ApiProperty({ description: 'Still retrying' })
  pending!: number;
}

export class RunStatsDto {
  @ApiProperty()
  queued!: number;
  @ApiProperty()
  running!: number;
  @ApiProperty()
  waiting!: number;
  @ApiProperty()
  completed!: number;
  @ApiProperty()
  failed!: number;
  @ApiProperty()
  cancelled!: number;
}

export class ProjectStatsDto {
  @ApiProperty({ enum: USAGE_RANGES })
  range!: UsageRange;
  @ApiProperty({ description: 'Deliveries and runs created since then' })
  from!: string;
  @ApiProperty({ type: [CollectionCountDto] })
  collections!: CollectionCountDto[];
  @ApiProperty({ type: StorageStatsDto })
  storage!: StorageStatsDto;
  @ApiProperty({ type: DeliveryStatsDto })
  webhook_deliveries!: DeliveryStatsDto;
  @ApiProperty({ type: RunStatsDto })
  workflow_runs!: RunStatsDto;
}
