import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

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
  @ApiProperty({ description: 'Whether the address was proven by a mailed link' })
  is_email_verified: boolean;
  @ApiProperty() created_at: string;
}

export class EmailTokenDto {
  @ApiProperty({ description: 'The token= value of the mailed link' })
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  token: string;
}

export class VerifyEmailResponseDto {
  @ApiProperty() message: string;
  @ApiProperty() email: string;
  @ApiProperty() is_email_verified: true;
}

export class MessageResponseDto {
  @ApiProperty() message: string;
}
