export interface Project {
  id: string;
  name: string;
  role: string;
  created_at: string;
}
