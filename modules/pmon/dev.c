// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/lego: each open is an address space; LEGO_IOC_MAP places memory at
 * the home mmon and maps it into the caller, where every page fault is
 * served by the ExCache. Models: drm_gem_shmem_helper.c and fb_defio.c
 * (VM_PFNMAP, write-notify through pfn_mkwrite).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": pmon: " fmt

#include <linux/file.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>

#include "lego/lego_dev.h"
#include "lego/vma_tree.h"
#include "pmon.h"

static struct pmon_space *pmon_space_of(struct vm_area_struct *vma)
{
	return vma->vm_file->private_data;
}

static vm_fault_t pmon_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct pmon_space *space = pmon_space_of(vma);
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	u64 vpn = vmf->address >> PAGE_SHIFT;
	enum excache_found found;
	vm_fault_t ret;
	u64 line;
	int err;

	atomic64_inc(&space->vn->stats.faults);
	err = write ? pmon_space_charge(space, vpn) : 0;
	if (!err)
		err = excache_fault(&pmon_excache, space, space->asid, vpn,
				    write, &line, &found);
	/*
	 * Past --mem, or the mmon's error (its pool ran out, it is gone):
	 * SIGBUS. VM_FAULT_OOM would only have the fault retried, forever.
	 */
	if (err) {
		atomic64_inc(&space->vn->stats.errors);
		return VM_FAULT_SIGBUS;
	}
	if (found == EXCACHE_MISSED)
		atomic64_inc(&space->vn->stats.misses);
	if (found != EXCACHE_HIT)
		pmon_space_read_ahead(space, vpn, vma->vm_end >> PAGE_SHIFT,
				      found);
	/* A read maps read-only, so the first write is seen (pfn_mkwrite). */
	ret = vmf_insert_pfn_prot(vma, vmf->address,
				  excache_line_pfn(&pmon_excache, line),
				  write ? vm_get_page_prot(vma->vm_flags) :
					  vma->vm_page_prot);
	excache_unpin(&pmon_excache, line);
	return ret;
}

static vm_fault_t pmon_pfn_mkwrite(struct vm_fault *vmf)
{
	struct pmon_space *space = pmon_space_of(vmf->vma);
	u64 vpn = vmf->address >> PAGE_SHIFT;

	if (pmon_space_charge(space, vpn)) {
		atomic64_inc(&space->vn->stats.errors);
		return VM_FAULT_SIGBUS;
	}
	excache_mark_dirty(&pmon_excache, space->asid, vpn);
	return 0;
}

/* munmap and exit: the range's lines and pages go. */
static void pmon_vma_close(struct vm_area_struct *vma)
{
	pmon_space_unmap(pmon_space_of(vma), vma->vm_start,
			 vma->vm_end - vma->vm_start);
}

static u32 pmon_prot(unsigned long vm_flags)
{
	return (vm_flags & VM_READ ? LEGO_PROT_READ : 0) |
	       (vm_flags & VM_WRITE ? LEGO_PROT_WRITE : 0);
}

/*
 * Allocators "commit" memory with an mprotect that changes nothing, and
 * only taking write away needs the dirty lines written back first.
 */
static int pmon_vma_mprotect(struct vm_area_struct *vma, unsigned long start,
			     unsigned long end, unsigned long newflags)
{
	u32 old = pmon_prot(vma->vm_flags), prot = pmon_prot(newflags);

	if (prot == old)
		return 0;
	return pmon_space_protect(pmon_space_of(vma), start, end - start, prot,
				  old & ~prot & LEGO_PROT_WRITE);
}

/*
 * Moving a mapping would unmap (and free at the mmons) the pages it moves
 * when the old range goes; a program moves one by mapping anew and
 * copying. Shrinking and partial munmap work.
 */
static int pmon_vma_mremap(struct vm_area_struct *vma)
{
	return -EINVAL;
}

static const struct vm_operations_struct pmon_vm_ops = {
	.fault		= pmon_fault,
	.pfn_mkwrite	= pmon_pfn_mkwrite,
	.close		= pmon_vma_close,
	.mprotect	= pmon_vma_mprotect,
	.mremap		= pmon_vma_mremap,
};

/* Only LEGO_IOC_MAP maps, exactly what the home mmon placed. */
static int pmon_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct pmon_space *space = file->private_data;

	if (vma->vm_start != space->mapping_addr ||
	    vma->vm_end - vma->vm_start != space->mapping_len ||
	    vma->vm_pgoff != vma->vm_start >> PAGE_SHIFT ||
	    !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	/*
	 * Shared, as a private writable PFN mapping would be copy-on-write;
	 * not inherited by fork, as no two processes share a space.
	 */
	vma->vm_flags |= VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP | VM_DONTCOPY;
	vma->vm_ops = &pmon_vm_ops;
	return 0;
}

static long pmon_ioctl_map(struct file *file,
			   struct lego_map_args __user *uarg)
{
	struct pmon_space *space = file->private_data;
	struct lego_map_args arg;
	unsigned long at;
	long ret;

	if (!space->vn)
		return -ENXIO;	/* LEGO_IOC_JOIN first */
	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (!arg.len || (arg.len | arg.addr) & ~PAGE_MASK ||
	    arg.prot & ~(PROT_READ | PROT_WRITE) ||
	    arg.flags & ~LEGO_MAP_FIXED ||
	    !(arg.flags & LEGO_MAP_FIXED) != !arg.addr)
		return -EINVAL;

	mutex_lock(&space->lock);
	ret = pmon_space_map(space, &arg.addr, arg.len, arg.prot);
	if (ret)
		goto out;
	space->mapping_addr = arg.addr;
	space->mapping_len = arg.len;
	/* The file offset is the address: a line's page is found by it. */
	at = vm_mmap(file, arg.addr, arg.len, arg.prot,
		     MAP_SHARED | MAP_FIXED_NOREPLACE, arg.addr);
	space->mapping_len = 0;
	if (IS_ERR_VALUE(at)) {
		ret = (long)at;
		pmon_space_unmap(space, arg.addr, arg.len);
		goto out;
	}
	if (copy_to_user(&uarg->addr, &arg.addr, sizeof(arg.addr)))
		ret = -EFAULT;	/* mapped all the same, as mmap(2) would be */
out:
	mutex_unlock(&space->lock);
	return ret;
}

static long pmon_ioctl_join(struct pmon_space *space,
			    struct lego_join_args __user *uarg)
{
	struct lego_join_args arg;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (strnlen(arg.name, sizeof(arg.name)) == sizeof(arg.name) ||
	    !lego_vnode_name_valid(arg.name))
		return -EINVAL;
	if (space->vn)
		return -EBUSY;
	return pmon_vnode_join(space, arg.name);
}

static u32 pmon_vma_prot(const struct vm_area_struct *vma)
{
	return (vma->vm_flags & VM_READ ? PROT_READ : 0) |
	       (vma->vm_flags & VM_WRITE ? PROT_WRITE : 0);
}

/* The caller's mappings of @parent, for a fork's child to adopt. */
static int pmon_record_mappings(struct pmon_space *space, struct file *parent)
{
	VMA_ITERATOR(vmi, current->mm, 0);
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned int n = 0;
	int ret = 0;

	mmap_read_lock(mm);
	space->adopt = kvmalloc_array(mm->map_count, sizeof(*space->adopt),
				      GFP_KERNEL);
	if (!space->adopt) {
		ret = -ENOMEM;
		goto out;
	}
	for_each_vma(vmi, vma) {
		if (vma->vm_file != parent)
			continue;
		space->adopt[n].addr = vma->vm_start;
		space->adopt[n].len = vma->vm_end - vma->vm_start;
		space->adopt[n].prot = pmon_vma_prot(vma);
		n++;
	}
	space->nr_adopt = n;
out:
	mmap_read_unlock(mm);
	return ret;
}

/* On a fresh open, in the parent: copy the space open as @uarg->fd. */
static long pmon_ioctl_clone(struct file *file,
			     struct lego_clone_args __user *uarg)
{
	struct pmon_space *space = file->private_data, *parent;
	struct lego_clone_args arg;
	struct file *from;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.reserved)
		return -EINVAL;
	if (space->vn)
		return -EBUSY;
	from = fget(arg.fd);
	if (!from)
		return -EBADF;
	ret = -EINVAL;
	parent = from->private_data;
	if (from->f_op != file->f_op || !parent->vn || parent == space)
		goto out;
	ret = pmon_vnode_join_as(space, parent);
	if (!ret)
		ret = pmon_record_mappings(space, from);
	if (!ret)
		ret = pmon_space_clone(space, parent);
out:
	fput(from);
	return ret;
}

/* In the child: map what LEGO_IOC_CLONE copied, where the parent had it. */
static long pmon_ioctl_adopt(struct file *file)
{
	struct pmon_space *space = file->private_data;
	unsigned long at;
	unsigned int i;
	long ret = 0;

	mutex_lock(&space->lock);
	if (!space->adopt) {
		ret = -EINVAL;
		goto out;
	}
	for (i = 0; i < space->nr_adopt; i++) {
		const struct pmon_adopt *a = &space->adopt[i];

		space->mapping_addr = a->addr;
		space->mapping_len = a->len;
		at = vm_mmap(file, a->addr, a->len, a->prot,
			     MAP_SHARED | MAP_FIXED_NOREPLACE, a->addr);
		space->mapping_len = 0;
		if (IS_ERR_VALUE(at)) {
			ret = (long)at;
			break;
		}
	}
	kvfree(space->adopt);
	space->adopt = NULL;
	pmon_vnode_moved(space);
out:
	mutex_unlock(&space->lock);
	return ret;
}

static long pmon_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct pmon_space *space = file->private_data;
	struct lego_range_args range;

	switch (cmd) {
	case LEGO_IOC_MAP:
		return pmon_ioctl_map(file, (void __user *)arg);
	case LEGO_IOC_DISCARD:
		if (!space->vn)
			return -ENXIO;
		if (copy_from_user(&range, (void __user *)arg, sizeof(range)))
			return -EFAULT;
		return pmon_space_discard(space, range.addr, range.len);
	case LEGO_IOC_JOIN:
		return pmon_ioctl_join(space, (void __user *)arg);
	case LEGO_IOC_CLONE:
		return pmon_ioctl_clone(file, (void __user *)arg);
	case LEGO_IOC_ADOPT:
		return pmon_ioctl_adopt(file);
	default:
		return -ENOTTY;
	}
}

static int pmon_open(struct inode *inode, struct file *file)
{
	struct pmon_space *space = pmon_space_create(inode);

	if (IS_ERR(space))
		return PTR_ERR(space);
	file->private_data = space;
	file->f_mapping = &space->mapping;
	return 0;
}

/* Every mapping of the file is gone by now: vmas hold the file. */
static int pmon_release(struct inode *inode, struct file *file)
{
	pmon_space_release(file->private_data);
	return 0;
}

static const struct file_operations pmon_fops = {
	.owner		= THIS_MODULE,
	.open		= pmon_open,
	.release	= pmon_release,
	.mmap		= pmon_mmap,
	.unlocked_ioctl	= pmon_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice pmon_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "lego",
	.fops	= &pmon_fops,
	.mode	= 0600,
};

int pmon_dev_register(void)
{
	return misc_register(&pmon_miscdev);
}

void pmon_dev_unregister(void)
{
	misc_deregister(&pmon_miscdev);
}
