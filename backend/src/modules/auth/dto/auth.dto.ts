import { ApiProperty } from '@nestjs/swagger';

export {
  EmailPasswordDto as RegisterDto,
  LoginDto,
  RefreshTokenDto as RefreshDto,
} from '../../../common/dto/credentials.dto';

export class TokenPairResponseDto {
  @ApiProperty() access_token: string;
  @ApiProperty() refresh_token: string;
  @ApiProperty({ example: 'bearer' }) token_type: 'bearer';
  @ApiProperty({ description: 'Access token lifetime in seconds' }) expires_in: number;
}

export class MeResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() created_at: string;
}
