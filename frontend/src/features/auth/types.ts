export interface Me {
  id: string;
  email: string;
  /** Proven by the mailed link; needed to invite others. */
  is_email_verified: boolean;
  created_at: string;
}

export interface Credentials {
  email: string;
  password: string;
}
