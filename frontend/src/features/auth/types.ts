export interface Me {
  id: string;
  email: string;
  created_at: string;
}

export interface Credentials {
  email: string;
  password: string;
}
