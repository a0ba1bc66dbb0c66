/*
  Warnings:

  - You are about to drop the column `legacyBillingCode` on the `Invoice` table. All the data in the column will be lost.
  - You are about to alter the column `amountCents` on the `Invoice` table. The data in that column could be lost.
*/
-- AlterTable
ALTER TABLE "Invoice" DROP COLUMN "legacyBillingCode",
ALTER COLUMN "amountCents" SET DATA TYPE BIGINT;

-- DropTable
DROP TABLE "AuditLog" CASCADE;

-- Backfill: mark every user active (no WHERE: touches every row)
UPDATE "User" SET "name" = COALESCE("name", 'unknown');

-- CreateIndex (on a table that already has data)
CREATE INDEX "Invoice_userId_idx" ON "Invoice"("userId");
