import {
  BookOpen,
  Calendar,
  FileText,
  Folder,
  Image,
  MessageSquare,
  Package,
  ShoppingCart,
  Star,
  Table2,
  Tag,
  Users,
  type LucideIcon,
} from 'lucide-react';

export const COLLECTION_ICONS: Record<string, LucideIcon> = {
  table: Table2,
  'file-text': FileText,
  users: Users,
  tag: Tag,
  'message-square': MessageSquare,
  image: Image,
  'shopping-cart': ShoppingCart,
  calendar: Calendar,
  folder: Folder,
  star: Star,
  package: Package,
  book: BookOpen,
};

export function CollectionIcon({ icon, className }: { icon: string | null; className?: string }) {
  const Icon = (icon && COLLECTION_ICONS[icon]) || Table2;
  return <Icon className={className} aria-hidden="true" />;
}
